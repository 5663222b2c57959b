import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import "@xyflow/react/dist/base.css";
import "./styles/app.css";
import { App } from "./app/App";
import { TokenGate } from "./app/TokenGate";
import { loadFonts } from "./app/fonts";

loadFonts();

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <TokenGate>
      <App />
    </TokenGate>
  </StrictMode>,
);
