"""Pages and the fragments they re-fetch. Thin: data comes from dashboard.selectors, writes from the
shows and sources services; a fragment is a `{% partialdef %}` of its page's template."""
