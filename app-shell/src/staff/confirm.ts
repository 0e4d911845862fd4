import { ElMessageBox } from 'element-plus';

/** Asks before an action that is hard to undo; true when the person confirmed. */
export function confirmAction(message: string, texts: { title: string; confirm: string; cancel: string }) {
  return ElMessageBox.confirm(message, texts.title, {
    type: 'warning',
    confirmButtonText: texts.confirm,
    cancelButtonText: texts.cancel,
  }).then(
    () => true,
    () => false,
  );
}
