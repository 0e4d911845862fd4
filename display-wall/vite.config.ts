import { appConfig } from '../app-shell/vite-config.js';

export default appConfig('display-wall', 5173);
