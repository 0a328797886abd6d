# Harnessing Connections: one app container. Workspaces live in /data (SQLite) unless HC_DATABASE_URL
# points at PostgreSQL, which is what several replicas behind a load balancer need.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    HC_DATABASE_URL=/data/harnessing.sqlite

WORKDIR /app

# Requirements first: this layer is rebuilt only when requirements.txt changes, not on every code change.
COPY requirements.txt .
RUN pip install -r requirements.txt

RUN useradd --create-home --uid 10001 app && mkdir -p /data && chown app:app /data
COPY --chown=app:app app.py ./
COPY --chown=app:app .streamlit/config.toml .streamlit/config.toml
COPY --chown=app:app pages pages
COPY --chown=app:app ui ui
COPY --chown=app:app harness harness
COPY --chown=app:app sample_data sample_data

USER app
VOLUME ["/data"]
EXPOSE 8501
HEALTHCHECK --interval=30s --timeout=5s --start-period=40s --retries=3 \
    CMD python -c "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4).status != 200)"
CMD ["streamlit", "run", "app.py", "--server.port=8501", "--server.address=0.0.0.0"]
