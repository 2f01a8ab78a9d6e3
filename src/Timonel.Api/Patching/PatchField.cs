namespace Timonel.Api.Patching;

/// <summary>
/// Strategic-merge metadata of one field: its strategy, the merge key of a merged list of objects
/// (upstream's <c>patchMergeKey</c>), and the schema of the field's object (or list element) type.
/// </summary>
public sealed record PatchField(PatchStrategy Strategy, string? MergeKey, PatchSchema Schema)
{
    /// <summary>An untagged field of unknown type: merge objects, replace lists.</summary>
    public static PatchField Default { get; } = new(PatchStrategy.Default, null, PatchSchema.Empty);
}
