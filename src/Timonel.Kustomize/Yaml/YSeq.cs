namespace Timonel.Kustomize.Yaml;

/// <summary>A YAML sequence.</summary>
public sealed class YSeq : YNode
{
    public YSeq()
    {
    }

    public YSeq(IEnumerable<YNode> items) => Items.AddRange(items);

    public List<YNode> Items { get; } = [];

    public override YNode Clone() => new YSeq(Items.Select(i => i.Clone()));
}
