// The description of a field whose type is a shared OpenAPI definition. kube-openapi describes such a
// field only by the Go comment on the field, and keeps the type's own comment on the definition: a
// field without a comment has no description at all (kubectl explain prints `<no description>`), and
// `kubectl explain <kind>.<field>` prints the field's text followed by the type's.
import type { TSchema } from '@sinclair/typebox';

/** Schema key holding the field's own description; the OpenAPI writer moves it beside the `$ref`. */
export const OPENAPI_FIELD_DESCRIPTION = 'x-openapi-field-description';

/** `schema` used as a field described by `description` (the schema's own description is left alone). */
export function describedField<T extends TSchema>(schema: T, description: string): T {
  return { ...schema, [OPENAPI_FIELD_DESCRIPTION]: description };
}
