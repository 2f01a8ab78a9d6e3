namespace Timonel.Kustomize.Yaml;

/// <summary>The resolved type of a scalar, as go-yaml v3 (kyaml) resolves it when kustomize reads a file.</summary>
public enum ScalarKind
{
    String,
    Int,
    Float,
    Bool,
    Null,
    /// <summary>A plain timestamp; kustomize turns it into an RFC 3339 string on output.</summary>
    Timestamp,
}
