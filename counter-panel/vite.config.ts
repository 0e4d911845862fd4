import { appConfig } from '../app-shell/vite-config.js';

export default appConfig('counter-panel', 5174);
