// Why: one BatchSpec per supported api-version, each read the first time a request names it, so startup reads one spec, not four.
import { type ApiVersion, SUPPORTED_API_VERSIONS, isSupportedApiVersion } from "./apiVersions";
import { BatchSpec, specFilePath } from "./spec";

export class BatchSpecs {
  private readonly specs = new Map<ApiVersion, BatchSpec>();

  /** `initial`: a spec already read (the service's default one); `load` reads another version's (tests may count calls). */
  constructor(
    initial?: BatchSpec,
    private readonly load: (version: ApiVersion) => BatchSpec = (version) => new BatchSpec(specFilePath(version)),
  ) {
    if (!initial) return;
    if (!isSupportedApiVersion(initial.apiVersion)) throw new Error(`The Batch REST spec ${initial.apiVersion} is not a supported api-version.`);
    this.specs.set(initial.apiVersion, initial);
  }

  /** The spec of one version, read on first use. */
  get(version: ApiVersion): BatchSpec {
    let spec = this.specs.get(version);
    if (!spec) {
      spec = this.load(version);
      if (spec.apiVersion !== version) throw new Error(`The Batch REST spec read for ${version} says it is ${spec.apiVersion}.`);
      this.specs.set(version, spec);
    }
    return spec;
  }

  /** The specs read so far, oldest version first. */
  loaded(): BatchSpec[] {
    return SUPPORTED_API_VERSIONS.flatMap((version) => this.specs.get(version) ?? []);
  }

  /** Whether some supported version has the operation: the specs already read first, the others only when none of those has it. */
  definesOperation(operationId: string): boolean {
    const has = (spec: BatchSpec) => spec.operations.some((operation) => operation.operationId === operationId);
    if ([...this.specs.values()].some(has)) return true;
    return SUPPORTED_API_VERSIONS.some((version) => !this.specs.has(version) && has(this.get(version)));
  }
}
