//! The mounted React Flow instance, for actions started outside the canvas (toolbar, menus).
import type { ReactFlowInstance } from "@xyflow/react";

let instance: ReactFlowInstance | null = null;
export const setFlow = (i: ReactFlowInstance | null) => {
  instance = i;
};
export const flow = () => instance;
