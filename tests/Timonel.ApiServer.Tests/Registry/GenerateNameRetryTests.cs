using System.Text.Json.Nodes;
using Timonel.ApiServer.Admission;
using Timonel.ApiServer.Endpoints;
using Timonel.ApiServer.Registry;

namespace Timonel.ApiServer.Tests.Registry;

/// <summary>generateName as upstream's RetryGenerateName: a generated name that is taken meanwhile is generated again.</summary>
public sealed class GenerateNameRetryTests : IAsyncLifetime
{
    private StoreHarness _harness = null!;

    private GenericStore ConfigMaps => _harness.Store("", "configmaps");

    public async Task InitializeAsync() => _harness = await StoreHarness.StartAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task Create_GeneratedNameTakenMeanwhile_CreatedUnderAnotherGeneratedName()
    {
        var squatter = new NameSquatter(() => ConfigMaps, takeTimes: 1);
        _harness.Registry.Admission = new AdmissionChain([squatter]);

        var created = await ConfigMaps.CreateAsync("default", GenerateNamed("web-"), dryRun: false, CancellationToken.None);

        var taken = Assert.Single(squatter.Taken);
        Assert.StartsWith("web-", created.Name());
        Assert.NotEqual(taken, created.Name());
    }

    [Fact]
    public async Task Create_EveryGeneratedNameTaken_AlreadyExistsAfterEightAttempts()
    {
        var squatter = new NameSquatter(() => ConfigMaps, takeTimes: int.MaxValue);
        _harness.Registry.Admission = new AdmissionChain([squatter]);

        var refused = await Assert.ThrowsAsync<StatusException>(() => ConfigMaps.CreateAsync("default", GenerateNamed("web-"), dryRun: false, CancellationToken.None));

        Assert.Equal(409, refused.Code);
        Assert.Equal(8, squatter.Taken.Count);
    }

    [Fact]
    public async Task Create_GivenNameTaken_AlreadyExistsWithoutRetry()
    {
        await ConfigMaps.CreateAsync("default", new JsonObject { ["metadata"] = new JsonObject { ["name"] = "web" } }, dryRun: false, CancellationToken.None);

        var refused = await Assert.ThrowsAsync<StatusException>(() => ConfigMaps.CreateAsync(
            "default", new JsonObject { ["metadata"] = new JsonObject { ["name"] = "web", ["generateName"] = "web-" } }, dryRun: false, CancellationToken.None));

        Assert.Equal(409, refused.Code);
    }

    private static JsonObject GenerateNamed(string prefix) => new() { ["metadata"] = new JsonObject { ["generateName"] = prefix } };

    /// <summary>A mutating plugin that, like a concurrent writer, creates an object under the name just generated.</summary>
    private sealed class NameSquatter(Func<GenericStore> store, int takeTimes) : IMutatingAdmissionPlugin
    {
        private bool _inside;

        public List<string> Taken { get; } = [];

        public string Name => "NameSquatter";

        public AdmittedResource? Resource => new("", "configmaps");

        public bool Handles(AdmissionOperation operation) => operation == AdmissionOperation.Create;

        public async ValueTask AdmitAsync(AdmissionAttributes attributes, CancellationToken cancellationToken)
        {
            if (_inside || Taken.Count >= takeTimes)
            {
                return;
            }

            _inside = true;
            try
            {
                await store().CreateAsync(attributes.Namespace, new JsonObject { ["metadata"] = new JsonObject { ["name"] = attributes.Name } }, dryRun: false, cancellationToken);
                Taken.Add(attributes.Name);
            }
            finally
            {
                _inside = false;
            }
        }
    }
}
