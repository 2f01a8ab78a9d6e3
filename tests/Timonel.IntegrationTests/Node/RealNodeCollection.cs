namespace Timonel.IntegrationTests.Node;

/// <summary>The end-to-end tests share one real node: they run one after another on it.</summary>
[CollectionDefinition(Name)]
public sealed class RealNodeCollection : ICollectionFixture<RealNodeFixture>
{
    public const string Name = "real node";
}
