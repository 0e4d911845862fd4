export { freePort, OwnRedis } from '../../scripts/lib/own-redis.js';
