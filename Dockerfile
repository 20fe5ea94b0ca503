# syntax=docker/dockerfile:1
# ChinaBio bot image: `docker build -t chinabio-bot .`, then see docs/operations.md.
# scripts/check_image_steps.sh repeats these steps in a fresh venv (`make image-check`), so CI
# checks them on machines without Docker; keep the two in step.

ARG PYTHON_IMAGE=python:3.11-slim-bookworm

# --- build: install the locked dependencies into a venv, then the project's wheel on top ---
FROM ${PYTHON_IMAGE} AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1
WORKDIR /src
# requirements.lock (`make lock`) pins every runtime dependency with its hashes: the same
# versions in every build, and pip refuses a file whose hash differs. Its own layer, so a
# source edit does not reinstall the dependencies.
COPY requirements.lock ./
RUN python -m venv /opt/venv \
    && /opt/venv/bin/pip install --no-cache-dir --require-hashes --no-deps -r requirements.lock
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY handlers ./handlers
COPY knowledge ./knowledge
# The knowledge YAML travels inside the wheel as package data; validating it here fails the
# build on a broken edit instead of the pod at start-up. `pip check` fails it on a dependency
# the lock lacks.
RUN python -m pip wheel --no-cache-dir --no-deps --wheel-dir /wheels . \
    && /opt/venv/bin/pip install --no-cache-dir --no-deps /wheels/*.whl \
    && /opt/venv/bin/pip check \
    && /opt/venv/bin/chinabio validate

# --- runtime: the venv only, no compilers, no source tree, not root ---
FROM ${PYTHON_IMAGE} AS runtime
LABEL org.opencontainers.image.title="chinabio-bot" \
      org.opencontainers.image.description="Slack and Teams bot answering from a curated knowledge store of China's cross-border biotech deals"
RUN groupadd --system --gid 10001 chinabio \
    && useradd --system --uid 10001 --gid chinabio --home-dir /app --shell /usr/sbin/nologin chinabio \
    && mkdir -p /app/data /knowledge \
    && chown chinabio:chinabio /app/data
COPY --from=build /opt/venv /opt/venv
# KNOWLEDGE_DIR stays unset: the knowledge baked into the package is served unless an operator
# mounts a folder (e.g. at /knowledge) and points KNOWLEDGE_DIR at it; edits there reload live.
ENV PATH="/opt/venv/bin:${PATH}" \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DATA_DIR=/app/data \
    PORT=3000
WORKDIR /app
USER 10001:10001
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('PORT', '3000'), timeout=4)"]
# Python is PID 1 and handles SIGTERM itself: requests in flight finish, then it exits 0.
ENTRYPOINT ["chinabio"]
CMD ["serve"]
