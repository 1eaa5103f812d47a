/** The task's `dropped-records` sensor, as processors reach it through their context. */
import type { ProcessingContext } from '../api';

interface HasDroppedSensor {
  droppedRecordsSensor(): { increment(): void };
}

/** The dropped-records counter of the task running this context (a no-op counter outside a task). */
export function droppedRecordsSensorOf(context: ProcessingContext): { increment(): void } {
  const task = (context as { task?: Partial<HasDroppedSensor> }).task;
  return typeof task?.droppedRecordsSensor === 'function' ? task.droppedRecordsSensor() : { increment: () => undefined };
}
