//! The form's layout templates where the library's defaults do not fit the app: a map of names
//! to values (environment variables, headers, variables, column mappings…) as a two-column
//! table — Name, Value — with a labelled Remove on each row and Add below, instead of a "Name"
//! box above each value; and the optional-data controls drawn with the app's buttons (the
//! library's used a glyph font the app does not ship: blank squares).
import { getDefaultRegistry } from "@rjsf/core";
import type {
  ArrayFieldItemTemplateProps,
  ObjectFieldTemplateProps,
  OptionalDataControlsTemplateProps,
  TemplatesType,
  WrapIfAdditionalTemplateProps,
} from "@rjsf/utils";
import { ADDITIONAL_PROPERTY_FLAG, TranslatableString, buttonId, canExpand, getTemplate, getUiOptions } from "@rjsf/utils";
import { Braces, Plus, Trash2 } from "lucide-react";
import { buttonTemplates } from "./buttons";

const defaults = getDefaultRegistry().templates;

/** A map's fieldset: its title and description, a header row, its rows, then Add. */
function ObjectFieldTemplate(props: ObjectFieldTemplateProps) {
  const options = getUiOptions(props.uiSchema);
  if (!options.map) return <defaults.ObjectFieldTemplate {...props} />;
  const { fieldPathId, title, description, properties, schema, uiSchema, formData, registry, disabled, readonly, onAddProperty } = props;
  const AddButton = registry.templates.ButtonTemplates.AddButton;
  const rows = properties.filter((p) => !p.hidden);
  return (
    <fieldset className="map-field" id={fieldPathId.$id} data-testid={`map-${fieldPathId.$id}`}>
      {title && <legend className="map-title">{title}</legend>}
      {description && <div className="field-description">{description}</div>}
      <div role="table" className="map-table" aria-label={title}>
        {rows.length > 0 && (
          <div role="row" className="map-row map-head">
            <span role="columnheader">Name</span>
            <span role="columnheader">Value</span>
            {/* Named for assistive technology, empty on screen (and still a cell of the grid). */}
            <span role="columnheader" aria-label="Remove" />
          </div>
        )}
        {rows.map((p) => p.content)}
        {rows.length === 0 && <div className="map-empty">None yet.</div>}
      </div>
      <div className="map-foot">
        {canExpand(schema, uiSchema, formData) && (
          <AddButton
            id={buttonId(fieldPathId, "add")}
            className="rjsf-object-property-expand"
            onClick={onAddProperty}
            disabled={disabled || readonly}
            uiSchema={uiSchema}
            registry={registry}
          />
        )}
        {options.templated ? (
          <span className="expr-hint">
            <Braces size={11} style={{ verticalAlign: -1 }} /> Values take expressions: <code>{"{{ params.x }}"}</code> <code>{"{{ vars.y }}"}</code>{" "}
            <code>{"{{ tasks.id.result }}"}</code>
          </span>
        ) : null}
      </div>
    </fieldset>
  );
}

/** One entry of a map: its name, its value, and Remove — one row of the map's table. */
function WrapIfAdditionalTemplate(props: WrapIfAdditionalTemplateProps) {
  const { id, classNames, style, label, schema, children, disabled, readonly, onKeyRenameBlur, onRemoveProperty, uiSchema, registry, rawErrors, hideError } = props;
  if (!(ADDITIONAL_PROPERTY_FLAG in schema)) return <defaults.WrapIfAdditionalTemplate {...props} />;
  const { RemoveButton } = registry.templates.ButtonTemplates;
  const bad = !hideError && (rawErrors?.length ?? 0) > 0;
  return (
    <div role="row" className={`map-row${bad ? " has-error" : ""} ${classNames ?? ""}`} style={style}>
      <span role="cell">
        <input
          key={label}
          className="input mono"
          type="text"
          id={`${id}-key`}
          aria-label={registry.translateString(TranslatableString.KeyLabel, [label])}
          defaultValue={label}
          disabled={disabled || readonly}
          onBlur={onKeyRenameBlur}
        />
      </span>
      <span role="cell" className="map-value">
        {children}
      </span>
      <span role="cell">
        <RemoveButton id={buttonId(id, "remove")} disabled={disabled || readonly} onClick={onRemoveProperty} uiSchema={uiSchema} registry={registry} />
      </span>
    </div>
  );
}

/**
 * One entry of a list: its field, then its buttons level with it (the library's template
 * aligned them with inline styles made for Bootstrap's grid, which the app does not ship).
 */
function ArrayFieldItemTemplate(props: ArrayFieldItemTemplateProps) {
  const { children, className, buttonsProps, hasToolbar, registry, uiSchema } = props;
  const Buttons = getTemplate("ArrayFieldItemButtonsTemplate", registry, getUiOptions(uiSchema));
  return (
    <div className={className}>
      <div>{children}</div>
      {hasToolbar && (
        <div className="array-item-toolbox">
          <div className="btn-group">
            <Buttons {...buttonsProps} />
          </div>
        </div>
      )}
    </div>
  );
}

/** "Add <field>" / "Remove <field>" for optional data, with the app's icons and words. */
function OptionalDataControlsTemplate({ id, label, onAddClick, onRemoveClick }: OptionalDataControlsTemplateProps) {
  if (onAddClick || onRemoveClick) {
    const adding = !!onAddClick;
    return (
      <button type="button" id={id} className={`btn sm form-btn${adding ? "" : " danger-outline"}`} aria-label={label} onClick={onAddClick ?? onRemoveClick}>
        {adding ? <Plus size={14} /> : <Trash2 size={14} />}
        <span>{label}</span>
      </button>
    );
  }
  return <em id={id}>{label}</em>;
}

/** Every template the section modal's form replaces. */
export const formTemplates: Partial<TemplatesType> = {
  ButtonTemplates: buttonTemplates as TemplatesType["ButtonTemplates"],
  ObjectFieldTemplate,
  WrapIfAdditionalTemplate,
  ArrayFieldItemTemplate,
  OptionalDataControlsTemplate,
};
