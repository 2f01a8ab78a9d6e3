namespace Timonel.Api.Patching;

/// <summary>How a strategic merge patch combines a field, from upstream's <c>patchStrategy</c> struct tag.</summary>
public enum PatchStrategy
{
    /// <summary>No tag: objects merge key by key, lists are replaced whole.</summary>
    Default,

    /// <summary><c>merge</c>: lists merge (by merge key for objects, as a set for primitives).</summary>
    Merge,

    /// <summary><c>replace</c>: the patch value replaces the field whole.</summary>
    Replace,
}
