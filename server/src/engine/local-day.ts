export { localDay } from '@yichuang/protocol';
