# Production image: the `web` process by default; run the worker with `node app/worker.ts`.
# Node 24 runs the TypeScript sources directly (type stripping); only the LIFF pages are built (Vite).
FROM node:24-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:24-bookworm-slim AS liff
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY liff ./liff
COPY shared ./shared
RUN npm run build:liff

FROM node:24-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
COPY app ./app
COPY bot ./bot
COPY liff ./liff
COPY --from=liff /app/liff/web/dist ./liff/web/dist
COPY workers ./workers
COPY shared ./shared
COPY simulator ./simulator
COPY dashboard ./dashboard
COPY exchange ./exchange
COPY ops ./ops
COPY figures ./figures
COPY config ./config
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=3s CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "app/web.ts"]
