//! A small picture of a template, drawn by the engine's renderer (`weft-render`, the same code
//! as Copy as bitmap and `weft render`) in the current theme — so the gallery shows each
//! template as it will look on the canvas before it is chosen.
import { useEffect, useState } from "react";
import { useTheme } from "../app/themeStore";
import { backend } from "../bridge";
import type { WorkflowFile } from "../bridge/types";

/** Pictures already drawn, by template body and theme (the gallery opens often). */
const drawn = new Map<string, Promise<string>>();

function pictureOf(body: WorkflowFile, theme: "light" | "dark"): Promise<string> {
  const key = `${theme}\n${JSON.stringify(body)}`;
  let url = drawn.get(key);
  if (!url) {
    url = backend
      .renderPicture({ body, selection: [], theme, runId: null, format: "svg" })
      .then((p) => `data:${p.mime};base64,${p.base64}`);
    // A failed drawing is not kept: the next opening tries again.
    url.catch(() => drawn.delete(key));
    drawn.set(key, url);
  }
  return url;
}

export function TemplatePreview({ body }: { body: WorkflowFile }) {
  const theme = useTheme((s) => s.resolved);
  const [src, setSrc] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let live = true;
    setFailed(false);
    pictureOf(body, theme).then(
      (url) => live && setSrc(url),
      () => live && setFailed(true),
    );
    return () => {
      live = false;
    };
  }, [body, theme]);
  const label = `Shape of ${body.name}: ${body.activities?.length ?? 0} activities`;
  if (failed) return <div className="template-preview empty" role="img" aria-label={label} />;
  return src ? (
    <img className="template-preview" src={src} alt={label} data-testid="template-preview" />
  ) : (
    <div className="template-preview loading" role="img" aria-label={label} />
  );
}
