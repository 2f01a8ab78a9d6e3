namespace Timonel.Api.Protobuf;

/// <summary>A message's fields in Go struct order (the order Go's JSON marshaller writes them).</summary>
internal sealed class MessageSchema(string name, SpecialForm special, IReadOnlyList<FieldSchema> fields)
{
    private readonly Dictionary<int, FieldSchema> _byNumber = fields.ToDictionary(f => f.Number);
    private readonly Dictionary<string, FieldSchema> _byJsonName = fields.Where(f => f.Go != GoKind.Inline)
        .GroupBy(f => f.JsonName).ToDictionary(g => g.Key, g => g.First());

    public string Name { get; } = name;

    public SpecialForm Special { get; } = special;

    public IReadOnlyList<FieldSchema> Fields { get; } = fields;

    public FieldSchema? FieldByNumber(int number) => _byNumber.GetValueOrDefault(number);

    public FieldSchema? FieldByJsonName(string name) => _byJsonName.GetValueOrDefault(name);
}
