# The readctx service. The model ships inside the package: nothing is downloaded at run time.
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY backend ./backend
RUN pip install --no-cache-dir . && useradd --create-home readctx && mkdir /data && chown readctx /data
USER readctx
# Off loopback the bearer token is always required: `docker exec <container> readctx token` prints it.
ENV READCTX_HOME=/data READCTX_HOST=0.0.0.0 READCTX_PORT=8765
VOLUME /data
EXPOSE 8765
CMD ["readctx", "serve"]
