// Before `npm start`: build any app that has no production build yet, so a fresh clone's
// `npm install && npm start` serves the screens. `npm run build` rebuilds them all.
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
for (const app of ['display-wall', 'counter-panel', 'supervisor-console']) {
  if (existsSync(`${root}/${app}/src/main.ts`) && !existsSync(`${root}/${app}/dist/index.html`)) {
    console.log(`building ${app}…`);
    execSync(`npm run build -w @yichuang/${app}`, { cwd: root, stdio: 'inherit' });
  }
}
