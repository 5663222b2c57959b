//! Template folder names: what the shell accepts (src-tauri/src/templates.rs `is_folder_name`),
//! said in words for the Save as template dialog and the demo backend.

/** The reason a folder name is refused (as the shell refuses it), or null when it is fine. */
export function folderProblem(name: string): string | null {
  const n = name.trim();
  if (!n) return "Name the new folder.";
  if (n.startsWith(".")) return "A folder name cannot start with a dot.";
  if (/[/\\]/.test(n)) return "One folder name, without slashes.";
  if (/[:<>"|?*]/.test(n)) return 'A folder name cannot hold : < > " | ? or *.';
  if (n.endsWith(".")) return "A folder name cannot end with a dot.";
  if (/^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i.test(n)) return `“${n}” is a name the system reserves.`;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  if (/[\u0000-\u001f\u007f]/.test(n)) return "A folder name cannot hold control characters.";
  return null;
}
