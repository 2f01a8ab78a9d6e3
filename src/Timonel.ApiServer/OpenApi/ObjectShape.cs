namespace Timonel.ApiServer.OpenApi;

/// <summary>One object type of the field catalog: its fields by JSON name.</summary>
internal sealed class ObjectShape(string definitionName)
{
    public string DefinitionName { get; } = definitionName;

    /// <summary>"io.k8s.api.apps.v1.DeploymentSpec" is v1.DeploymentSpec in Go.</summary>
    public string GoName { get; } = string.Join('.', definitionName.Split('.')[^2..]);

    /// <summary>The struct's name alone, as Go's decoder names the struct a type error is in: "DeploymentSpec".</summary>
    public string StructName { get; } = definitionName[(definitionName.LastIndexOf('.') + 1)..];

    /// <summary>Filled once by the catalog while it is read (types refer to each other, so all exist first).</summary>
    public Dictionary<string, FieldShape> Fields { get; } = new(StringComparer.Ordinal);
}
