using System.Text.Json.Nodes;
using Timonel.ApiServer.Registry;
using Timonel.ApiServer.Registry.CustomResources;

namespace Timonel.ApiServer.Tests.FieldManagement;

/// <summary>A custom resource, example.com/v1 Widget, served with the given schema as a CRD would serve it.</summary>
internal static class WidgetStore
{
    public static GenericStore Register(StoreHarness harness, string schema) => harness.Registry.Register(new ResourceDefinition
    {
        Group = "example.com",
        Version = "v1",
        Kind = "Widget",
        Plural = "widgets",
        Namespaced = true,
        Strategy = new CustomResourceStrategy(new StructuralSchema(JsonNode.Parse(schema)!.AsObject()), statusSubresource: false, []),
    });
}
