//! Renders activities (the selection, or the whole workflow) to PNG or SVG at 2x, with the
//! canvas background, from the live DOM of the canvas (html-to-image).
import { getNodesBounds, getViewportForBounds, type Node } from "@xyflow/react";
import { toPng, toSvg } from "html-to-image";

const PADDING = 32;

export async function renderActivities(nodes: Node[], format: "png" | "svg"): Promise<string> {
  const viewport = document.querySelector<HTMLElement>(".react-flow__viewport");
  if (!viewport || nodes.length === 0) throw new Error("Nothing to render.");
  const ids = new Set(nodes.map((n) => n.id));
  const bounds = getNodesBounds(nodes);
  const width = Math.ceil(bounds.width + PADDING * 2);
  const height = Math.ceil(bounds.height + PADDING * 2);
  const vp = getViewportForBounds(bounds, width, height, 0.1, 4, PADDING);
  const background = getComputedStyle(document.documentElement).getPropertyValue("--canvas-bg").trim() || "#fff";
  const options = {
    backgroundColor: background,
    width,
    height,
    pixelRatio: 2,
    style: { width: `${width}px`, height: `${height}px`, transform: `translate(${vp.x}px, ${vp.y}px) scale(${vp.zoom})` },
    filter: (el: HTMLElement) => {
      if (!(el instanceof Element)) return true;
      if (el.classList.contains("weft-no-export")) return false;
      const nodeId = el.classList.contains("react-flow__node") ? el.getAttribute("data-id") : null;
      if (nodeId && !ids.has(nodeId)) return false;
      if (el.classList.contains("react-flow__edge")) {
        const [from, to] = (el.getAttribute("data-testid") ?? "").replace("rf__edge-", "").split("->");
        return ids.has(from?.split(":")[0]) && ids.has(to);
      }
      return true;
    },
  };
  return format === "png" ? toPng(viewport, options) : toSvg(viewport, options);
}

export function download(dataUrl: string, filename: string) {
  const a = document.createElement("a");
  a.href = dataUrl;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
}
