FROM python:3.11-slim
WORKDIR /app
ENV PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
COPY pyproject.toml README.md ./
RUN pip install --no-cache-dir . && useradd --create-home app
COPY . .
RUN mkdir -p var && chown app var
USER app
