namespace Timonel.Api.Patching;

/// <summary>
/// Strategic-merge metadata of one object type: the fields whose handling differs from the default or that lead
/// to such fields (as upstream reads from Go struct tags). Fields not listed use <see cref="PatchField.Default"/>.
/// Build with the fluent <see cref="With(string, PatchSchema)"/>, <see cref="WithMergeList"/> and friends.
/// </summary>
public sealed class PatchSchema
{
    private readonly Dictionary<string, PatchField> _fields = new(StringComparer.Ordinal);

    /// <summary>Creates an empty schema named after its type (names appear in some upstream error messages).</summary>
    public PatchSchema(string name) => Name = name;

    /// <summary>A schema with no special fields.</summary>
    public static PatchSchema Empty { get; } = new("struct");

    /// <summary>The type name.</summary>
    public string Name { get; }

    /// <summary>The metadata of field <paramref name="name"/>, or the default.</summary>
    public PatchField Field(string name) => _fields.TryGetValue(name, out var field) ? field : PatchField.Default;

    /// <summary>An object field of type <paramref name="schema"/> (default strategy).</summary>
    public PatchSchema With(string field, PatchSchema schema) => Set(field, new PatchField(PatchStrategy.Default, null, schema));

    /// <summary>A list of objects merged by <paramref name="mergeKey"/>, elements of type <paramref name="element"/>.</summary>
    public PatchSchema WithMergeList(string field, string mergeKey, PatchSchema? element = null) =>
        Set(field, new PatchField(PatchStrategy.Merge, mergeKey, element ?? Empty));

    /// <summary>A list of primitives merged as a set (<c>patchStrategy:"merge"</c> without a key, e.g. finalizers).</summary>
    public PatchSchema WithMergeSet(string field) => Set(field, new PatchField(PatchStrategy.Merge, null, Empty));

    /// <summary>An atomic list whose elements are of type <paramref name="element"/> (kept for nested metadata).</summary>
    public PatchSchema WithList(string field, PatchSchema element) => Set(field, new PatchField(PatchStrategy.Default, null, element));

    /// <summary>A field replaced whole (<c>patchStrategy:"replace"</c>).</summary>
    public PatchSchema WithReplace(string field) => Set(field, new PatchField(PatchStrategy.Replace, null, Empty));

    private PatchSchema Set(string field, PatchField meta)
    {
        _fields[field] = meta;
        return this;
    }
}
