namespace Timonel.Kustomize.Yaml;

/// <summary>A YAML node: a mapping, a sequence or a scalar. The tree is mutable; transformers edit it in place.</summary>
public abstract class YNode
{
    public abstract YNode Clone();
}
