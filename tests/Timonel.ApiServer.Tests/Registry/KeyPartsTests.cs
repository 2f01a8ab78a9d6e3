using Timonel.ApiServer.Endpoints;
using Timonel.ApiServer.Registry;

namespace Timonel.ApiServer.Tests.Registry;

public sealed class KeyPartsTests
{
    private static readonly IReadOnlyList<ResourceDefinition> _catalog = ResourceCatalog.BuiltIn(new BuiltInStrategies());

    [Theory]
    [InlineData("configmaps", "/registry/configmaps/team-a/settings", "team-a", "settings")]
    [InlineData("namespaces", "/registry/namespaces/team-a", null, "team-a")]
    [InlineData("deployments", "/registry/apps/deployments/default/web", "default", "web")]
    public void KeyParts_StorageKey_NamespaceAndName(string plural, string key, string? ns, string name)
    {
        var definition = _catalog.First(d => d.Plural == plural);

        Assert.Equal(key, definition.StorageKey(ns, name));
        Assert.Equal((ns, name), definition.KeyParts(key));
    }

    [Theory]
    [InlineData("configmaps", "team-a", "..", "Name parameter invalid: \"..\": may not be '..'")]
    [InlineData("configmaps", "team-a", ".", "Name parameter invalid: \".\": may not be '.'")]
    [InlineData("namespaces", null, "..", "Name parameter invalid: \"..\": may not be '..'")]
    [InlineData("secrets", "team-a", "a/b%c", "Name parameter invalid: \"a/b%c\": may not contain '/';may not contain '%'")]
    public void StorageKey_NameNotOnePathSegment_BadRequest(string plural, string? ns, string name, string message)
    {
        var definition = _catalog.First(d => d.Plural == plural);

        var error = Assert.Throws<StatusException>(() => definition.StorageKey(ns, name));

        Assert.Equal((400, "BadRequest", message), (error.Code, error.Reason, error.Message));
    }

    [Theory]
    [InlineData("metadata.name=web", "default", "web", true)]
    [InlineData("metadata.name=web", "default", "api", false)]
    [InlineData("metadata.name!=web,metadata.namespace=default", "default", "api", true)]
    [InlineData("metadata.name!=web,metadata.namespace=default", "other", "api", false)]
    public void BuildKeyFilter_NameAndNamespaceTerms_DecidedOnTheKey(string selector, string ns, string name, bool matches)
    {
        var filter = SelectorFilter.BuildKeyFilter(selector, _catalog.First(d => d.Plural == "configmaps"));

        Assert.Equal(matches, filter!(ns, name));
    }

    [Fact]
    public void BuildKeyFilter_NoNameOrNamespaceTerm_Null()
    {
        var pods = _catalog.First(d => d.Plural == "pods");

        Assert.Null(SelectorFilter.BuildKeyFilter("spec.nodeName=node-1", pods));
        Assert.Null(SelectorFilter.BuildKeyFilter("", pods));
    }
}
