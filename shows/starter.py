"""A starter watchlist of real Netflix shows with their English Wikipedia articles."""

STARTER_WATCHLIST = [
    # (title, kind, wikipedia article, search terms)
    ("Wednesday", "tv", "Wednesday_(TV_series)", ["Wednesday Netflix"]),
    ("Stranger Things", "tv", "Stranger_Things", ["Stranger Things"]),
    ("Squid Game", "tv", "Squid_Game", ["Squid Game"]),
    ("Bridgerton", "tv", "Bridgerton_(TV_series)", ["Bridgerton"]),
    ("The Lincoln Lawyer", "tv", "The_Lincoln_Lawyer_(TV_series)", ["Lincoln Lawyer Netflix"]),
    ("Love Is Blind", "tv", "Love_Is_Blind_(TV_series)", ["Love Is Blind"]),
    ("One Piece", "tv", "One_Piece_(2023_TV_series)", ["One Piece Netflix"]),
    ("Ginny & Georgia", "tv", "Ginny_&_Georgia", ["Ginny and Georgia"]),
    ("The Night Agent", "tv", "The_Night_Agent", ["The Night Agent"]),
    ("Adolescence", "tv", "Adolescence_(TV_series)", ["Adolescence Netflix"]),
    ("KPop Demon Hunters", "film", "KPop_Demon_Hunters", ["KPop Demon Hunters"]),
]
