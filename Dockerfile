# The hub and edge-gateway image: one Node.js process per container (the hub by default; the
# gateway and `mqtt:files` run from the same image with another command).
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
COPY protocol/package.json protocol/
COPY app-shell/package.json app-shell/
COPY server/package.json server/
COPY tests/package.json tests/
COPY display-wall/package.json display-wall/
COPY counter-panel/package.json counter-panel/
COPY supervisor-console/package.json supervisor-console/
COPY edge-gateway/package.json edge-gateway/
RUN npm ci --omit=dev --workspace @yichuang/server --workspace @yichuang/edge-gateway --include-workspace-root=false
COPY protocol protocol
COPY server server
COPY edge-gateway edge-gateway
ENV NODE_ENV=production PORT=3000
EXPOSE 3000
CMD ["node", "--import", "tsx", "server/src/main.ts"]
