/**
 * The federation engine's public surface: parse -> model -> placement -> overrides ->
 * per-cluster objects, scheduling and validation. No `vscode` import, no network.
 */
export { Workspace, type Analysis, type WorkspaceOptions } from './workspace.ts';
export type { FederatedResource, RenderedObject, PlacementResult, ClusterReason, RspInfo } from './resources.ts';
export { federatedObjectOf, isPropagated, overriddenPaths, renderFor, targetTypeOf } from './resources.ts';
export type { WsObject } from './objects.ts';
export { locate, objectLocation, describe } from './objects.ts';
export { parseFile, reparse, parseSlice, sliceDocuments, objectsOf, ParsedFile, ParsedDoc, type PathSegment } from './parse.ts';
export { LineIndex, type Position, type Range, type Location } from './text.ts';
export { DIAGNOSTIC_CODES, boundMessage, type DiagnosticCode, type EngineDiagnostic, type Severity } from './diagnostics.ts';
export { clustersFromFile, clustersFromKubeconfig, clustersFromSettings, mergeClusters, type ClusterInfo, type ClusterSource } from './inventory.ts';
export { TypeIndex, metaOf, type ObjectRole } from './model.ts';
export { editDistance, nearest } from './spelling.ts';
export { isFederationApiVersion, type Era } from './apiGroups.ts';
export { builtinTypeConfigs, typeConfigFromFtc, type TypeConfig } from './typeconfigs.ts';
export { listPointers, nearestPointer, elementHint, type PointerEntry } from './paths.ts';
export { convertResource, convertRsp, type Conversion } from './convert.ts';
export { federate, federateDocument } from './federate.ts';
export { placeV1alpha1, placeV1beta1, reasonText, REASON_TEXT, type PlacementWhy } from './placement.ts';
export { applyOverrides, validateOverrides, checkOverridePath } from './overrides.ts';
export { MANAGED_LABEL } from './managed.ts';
export { renderV1alpha1, renderV1beta1 } from './render.ts';
export { retainClusterFields } from './retain.ts';
export { plan, planRsp } from './planner.ts';
export { scheduleRsp, reconcileRsp, describeSchedule } from './rsp.ts';
export { syncDecision, objectVersion, needsUpdate } from './sync.ts';
export { deleteOptions, isOrphaning, deletionFlow } from './deletion.ts';
export { kubernetesKeyOrder, deepClone, deepEqual, isObject, own, getPath, type Json, type JsonObject } from './json.ts';
export { SECRET_MASK, SECRET_FIELDS, isSecretKind, isSecretPath, maskSecretValues } from './secrets.ts';
export { bundleFromOpenApi, convertSchema, type KindInfo, type OpenApiDocument, type Schema, type SchemaBundle } from './validation/openapi.ts';
export { crdBundle, crdSchemas, isCrd } from './validation/crds.ts';
export { fieldProblems, sourceOf, templateProblems, type ClusterSchemaSet, type FieldProblem, type SchemaSource } from './validation/schemaSets.ts';
export { clusterSchemaDiagnostics, fieldPath } from './validation/clusterSchemas.ts';
