using System.Text.Json.Nodes;
using Timonel.ApiServer.Endpoints;
using Timonel.ApiServer.Endpoints.Subresources;
using Timonel.ApiServer.Registry;

namespace Timonel.ApiServer.Tests.Endpoints.Subresources;

/// <summary>
/// Evicting pods as upstream's EvictionREST does, with PodDisruptionBudgets served by a plain spec-and-status store
/// (the kind's own strategy may come later; eviction only reads the budget and writes its status).
/// </summary>
public sealed class PodEvictionTests : IAsyncLifetime
{
    private static readonly DateTimeOffset _now = new(2026, 3, 4, 5, 6, 7, TimeSpan.Zero);
    private StoreHarness _harness = null!;
    private GenericStore _budgets = null!;

    private GenericStore Pods => _harness.Store("", "pods");

    private PodEviction Eviction => new(_harness.Registry, new FixedClock(_now));

    public async Task InitializeAsync()
    {
        _harness = await StoreHarness.StartAsync();
        _budgets = _harness.Registry.Register(new ResourceDefinition
        {
            Group = "policy",
            Version = "v1",
            Kind = "PodDisruptionBudget",
            Plural = "poddisruptionbudgets",
            Namespaced = true,
            Strategy = DefaultStrategies.SpecAndStatus,
        });
    }

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task Evict_RunningPodNoBudget_Deleted()
    {
        await CreatePodAsync("web", "Running");

        await EvictAsync("web");

        Assert.False(await ExistsAsync("web"));
    }

    [Fact]
    public async Task Evict_BudgetAllowsOne_TakesItAndDeletesPod()
    {
        await CreatePodAsync("web", "Running");
        await CreateBudgetAsync("budget", allowed: 1);

        await EvictAsync("web");
        var budget = await _budgets.GetAsync("default", "budget", CancellationToken.None);

        Assert.False(await ExistsAsync("web"));
        Assert.Equal("0", JsonPath.Json(budget, "status/disruptionsAllowed"));
        Assert.Equal("\"2026-03-04T05:06:07Z\"", JsonPath.Json(budget, "status/disruptedPods/web"));
        Assert.Equal("""{"type":"DisruptionAllowed","status":"False","observedGeneration":1,"lastTransitionTime":"2026-03-04T05:06:07Z","reason":"InsufficientPods","message":""}""", JsonPath.Json(budget, "status/conditions/0"));
    }

    [Fact]
    public async Task Evict_BudgetAllowsNone_TooManyRequestsAndPodKept()
    {
        await CreatePodAsync("web", "Running");
        await CreateBudgetAsync("budget", allowed: 0);

        var refused = await Assert.ThrowsAsync<StatusException>(() => EvictAsync("web"));

        Assert.Equal(429, refused.Code);
        Assert.Equal("TooManyRequests", refused.Reason);
        Assert.Equal("Cannot evict pod as it would violate the pod's disruption budget.", refused.Message);
        Assert.Equal("The disruption budget budget needs 2 healthy pods and has 2 currently", Assert.Single(refused.Causes).Message);
        Assert.Null(refused.RetryAfterSeconds);
        Assert.True(await ExistsAsync("web"));
    }

    [Theory]
    [InlineData("Succeeded")]
    [InlineData("Failed")]
    [InlineData("Pending")]
    public async Task Evict_PodBudgetsDoNotCover_DeletedDespiteBudget(string phase)
    {
        await CreatePodAsync("web", phase);
        await CreateBudgetAsync("budget", allowed: 0);

        await EvictAsync("web");

        Assert.False(await ExistsAsync("web"));
    }

    [Fact]
    public async Task Evict_BudgetNotYetObserved_TooManyRequestsRetryIn10()
    {
        await CreatePodAsync("web", "Running");
        await CreateBudgetAsync("budget", allowed: 1, observedGeneration: 0);

        var refused = await Assert.ThrowsAsync<StatusException>(() => EvictAsync("web"));

        Assert.Equal(429, refused.Code);
        Assert.Equal(10, refused.RetryAfterSeconds);
        Assert.Equal("The disruption budget budget is still being processed by the server.", Assert.Single(refused.Causes).Message);
    }

    [Fact]
    public async Task Evict_TwoBudgets_RefusedWith500()
    {
        await CreatePodAsync("web", "Running");
        await CreateBudgetAsync("one", allowed: 1);
        await CreateBudgetAsync("two", allowed: 1);

        var refused = await Assert.ThrowsAsync<StatusException>(() => EvictAsync("web"));

        Assert.Equal(500, refused.Code);
        Assert.Equal("This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.", refused.Message);
        Assert.True(await ExistsAsync("web"));
    }

    [Fact]
    public async Task Evict_BudgetSelectsOtherPods_Deleted()
    {
        await CreatePodAsync("web", "Running");
        await CreateBudgetAsync("budget", allowed: 0, app: "db");

        await EvictAsync("web");

        Assert.False(await ExistsAsync("web"));
    }

    [Fact]
    public async Task Evict_DryRun_BudgetAndPodUnchanged()
    {
        await CreatePodAsync("web", "Running");
        await CreateBudgetAsync("budget", allowed: 1);

        await Eviction.EvictAsync("default", "web", EvictionOf("web"), dryRun: true, CancellationToken.None);
        var budget = await _budgets.GetAsync("default", "budget", CancellationToken.None);

        Assert.True(await ExistsAsync("web"));
        Assert.Equal("1", JsonPath.Json(budget, "status/disruptionsAllowed"));
    }

    private Task EvictAsync(string pod) => Eviction.EvictAsync("default", pod, EvictionOf(pod), dryRun: false, CancellationToken.None);

    private static JsonObject EvictionOf(string pod) => new()
    {
        ["apiVersion"] = "policy/v1",
        ["kind"] = "Eviction",
        ["metadata"] = new JsonObject { ["name"] = pod },
    };

    private async Task<bool> ExistsAsync(string pod)
    {
        try
        {
            await Pods.GetAsync("default", pod, CancellationToken.None);
            return true;
        }
        catch (StatusException ex) when (ex.Code == 404)
        {
            return false;
        }
    }

    private async Task CreatePodAsync(string name, string phase)
    {
        var pod = Examples.Load("01-pod.yaml", "Pod");
        pod.Metadata()["name"] = name;
        pod.Metadata()["labels"] = new JsonObject { ["app"] = "web" };
        await Pods.CreateAsync("default", pod, dryRun: false, CancellationToken.None);
        await Pods.GuaranteedUpdateAsync("default", name, current =>
        {
            current["status"] = new JsonObject
            {
                ["phase"] = phase,
                ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = "True" }),
            };
            return current;
        }, new StatusStrategy(Pods.Definition.Strategy), dryRun: false, CancellationToken.None);
    }

    private async Task CreateBudgetAsync(string name, long allowed, long observedGeneration = 1, string app = "web")
    {
        var budget = new JsonObject
        {
            ["apiVersion"] = "policy/v1",
            ["kind"] = "PodDisruptionBudget",
            ["metadata"] = new JsonObject { ["name"] = name },
            ["spec"] = new JsonObject { ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = app } } },
        };
        await _budgets.CreateAsync("default", budget, dryRun: false, CancellationToken.None);
        await _budgets.GuaranteedUpdateAsync("default", name, current =>
        {
            current["status"] = new JsonObject
            {
                ["observedGeneration"] = observedGeneration,
                ["disruptionsAllowed"] = allowed,
                ["currentHealthy"] = 2,
                ["desiredHealthy"] = 2,
                ["expectedPods"] = 2,
            };
            return current;
        }, new StatusStrategy(_budgets.Definition.Strategy), dryRun: false, CancellationToken.None);
    }
}
