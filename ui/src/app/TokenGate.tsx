//! In a browser the engine is `weft serve --http`, and every call needs an access token: this
//! asks for one once per tab (kept in session storage, so it goes when the tab closes) and
//! again when the server refuses it (revoked). The desktop app needs none.
import { KeyRound } from "lucide-react";
import { type FormEvent, type ReactNode, useEffect, useState } from "react";
import { backend } from "../bridge";
import { onTokenRefused, readToken, saveToken, tokenWorks } from "../bridge/http";

export function TokenGate({ children }: { children: ReactNode }) {
  const needed = backend.kind === "http";
  const [ready, setReady] = useState(() => !needed || readToken() !== null);
  const [refused, setRefused] = useState(false);
  useEffect(() => {
    if (!needed) return;
    return onTokenRefused(() => {
      setRefused(true);
      setReady(false);
    });
  }, [needed]);
  if (ready) return <>{children}</>;
  return <TokenForm refused={refused} onAccepted={() => setReady(true)} />;
}

function TokenForm({ refused, onAccepted }: { refused: boolean; onAccepted: () => void }) {
  const [text, setText] = useState("");
  const [problem, setProblem] = useState<string | null>(refused ? "The server no longer accepts the token of this tab. Enter another one." : null);
  const [checking, setChecking] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setChecking(true);
    try {
      if (await tokenWorks(text)) {
        saveToken(text);
        onAccepted();
      } else {
        setProblem("The server refused this token: it is wrong or was revoked.");
      }
    } catch (err) {
      setProblem(`The server cannot be reached: ${(err as Error).message}`);
    } finally {
      setChecking(false);
    }
  };
  return (
    <div className="token-gate">
      <form className="token-card" onSubmit={submit} aria-labelledby="token-title">
        <h1 id="token-title">
          <KeyRound size={18} style={{ verticalAlign: -3, marginRight: 8 }} />
          Open this Weft store
        </h1>
        <p>
          This page talks to <code>weft serve --http</code>. Paste an access token made on that machine with{" "}
          <code>weft tokens create NAME</code>. It is kept for this tab only.
        </p>
        <label htmlFor="token-input">Access token</label>
        <input
          id="token-input"
          type="password"
          autoComplete="off"
          spellCheck={false}
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder="weft_…"
          autoFocus
        />
        {problem && (
          <p role="alert" className="token-problem">
            {problem}
          </p>
        )}
        <button type="submit" className="btn primary" disabled={checking || text.trim() === ""}>
          {checking ? "Checking…" : "Open"}
        </button>
      </form>
    </div>
  );
}
