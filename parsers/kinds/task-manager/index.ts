// Task Manager's memory figures (Performance tab of XP to 7, Memory page of 8 and later), as an input
// kind: one record.
import { defineKind } from "../module.js";
import { taskManagerLines } from "./lines.js";
import { parseTaskManager } from "./parse.js";
import { TaskManagerData } from "./schema.js";

export const taskManager = defineKind({
  kind: "task-manager",
  label: "Task Manager memory figures",
  reads: "Task Manager's memory figures",
  schema: TaskManagerData,
  lines: taskManagerLines,
  parse: (text, source) => [parseTaskManager(text, source)],
  records: (data) => [data],
  recordSchema: TaskManagerData,
  isEmpty: (data) => {
    // An up time alone says nothing about memory.
    const { form: _form, upTime: _upTime, ...numbers } = data;
    return Object.values(numbers).every((v) => v === null);
  },
});
