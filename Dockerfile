# The app image: gunicorn serving config.wsgi, static files through WhiteNoise.
# docker-compose.yml runs it with PostgreSQL behind nginx; its command is docker/start.sh.
# The evidence folder belongs to the user the app runs as: a volume mounted there starts
# with this owner, so uploads can be written.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# gettext: compilemessages; pango + Thai fonts: WeasyPrint's PDF reports.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        gettext libpango-1.0-0 libpangoft2-1.0-0 libcairo2 fonts-thai-tlwg \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 1000 ita
WORKDIR /app

COPY . .
# Editable, so the code runs from /app where templates/, static/ and locale/ are.
RUN pip install -e . \
    && python manage.py compilemessages --ignore=.venv -v 0 \
    && mkdir -p media staticfiles private/evidence private/documents private/rendered \
    && chown -R ita:ita media staticfiles locale private

# Owned by ita before the scheduler's backups volume is first mounted there (a new named
# volume takes the folder's owner).
RUN mkdir -p /app/backups && chown ita:ita /app/backups

USER ita
EXPOSE 8000
CMD ["docker/start.sh"]
