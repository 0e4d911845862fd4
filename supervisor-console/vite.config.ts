import { appConfig } from '../app-shell/vite-config.js';

export default appConfig('supervisor-console', 5175);
