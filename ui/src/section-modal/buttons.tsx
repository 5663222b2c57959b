//! The form's buttons (add, remove, move, copy, clear) drawn with the app's icons and words.
//! The form library's defaults are Bootstrap 3 glyph-font icons, which the app does not ship:
//! they drew blank squares, and a person could not tell "add" from "remove".
import type { IconButtonProps, TemplatesType } from "@rjsf/utils";
import { TranslatableString, englishStringTranslator } from "@rjsf/utils";
import { ArrowDown, ArrowUp, Copy, Plus, Trash2, X } from "lucide-react";
import type { ReactNode } from "react";

/** A form button: its icon, and its word unless `iconOnly` (the word is then its name and hint). */
function FormButton({ text, icon, tone, iconOnly, props }: { text: string; icon: ReactNode; tone?: "danger-outline"; iconOnly?: boolean; props: IconButtonProps }) {
  // `uiSchema`, `registry`, `iconType` and `icon` are the library's, not the button element's.
  const { uiSchema: _u, registry: _r, iconType: _t, icon: _i, className, ...rest } = props;
  return (
    <button type="button" {...rest} className={`btn sm form-btn${tone ? ` ${tone}` : ""}${iconOnly ? " icon" : ""}`} aria-label={text} data-tip={iconOnly ? text : undefined}>
      {icon}
      {!iconOnly && <span>{text}</span>}
    </button>
  );
}

/** The `templates.ButtonTemplates` of the section modal's form. */
export const buttonTemplates: Partial<TemplatesType["ButtonTemplates"]> = {
  AddButton: (p) => <FormButton props={p} text={p.registry.translateString(TranslatableString.AddItemButton)} icon={<Plus size={14} />} />,
  RemoveButton: (p) => <FormButton props={p} text={p.registry.translateString(TranslatableString.RemoveButton)} icon={<Trash2 size={14} />} tone="danger-outline" />,
  MoveUpButton: (p) => <FormButton props={p} iconOnly text={p.registry.translateString(TranslatableString.MoveUpButton)} icon={<ArrowUp size={14} />} />,
  MoveDownButton: (p) => <FormButton props={p} iconOnly text={p.registry.translateString(TranslatableString.MoveDownButton)} icon={<ArrowDown size={14} />} />,
  CopyButton: (p) => <FormButton props={p} iconOnly text={p.registry.translateString(TranslatableString.CopyButton)} icon={<Copy size={14} />} />,
  ClearButton: (p) => <FormButton props={p} iconOnly text={p.registry.translateString(TranslatableString.ClearButton)} icon={<X size={14} />} />,
};

/**
 * The form's words where the library's read oddly: a map entry's name field was labelled
 * "<field> Key" ("recipients Key"), and its add button "Add Item".
 */
export function translateString(id: TranslatableString, params?: string[]): string {
  switch (id) {
    case TranslatableString.KeyLabel:
      return "Name";
    case TranslatableString.AddItemButton:
    case TranslatableString.AddButton:
      return "Add";
    default:
      return englishStringTranslator(id, params);
  }
}
