using k8s.Models;
using Microsoft.Extensions.Time.Testing;
using Timonel.Agent.Kubelet.Volumes;
using Timonel.Testing.Kubelet;

namespace Timonel.Agent.Tests.Kubelet.Volumes;

public sealed class ServiceAccountTokensTests
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.Parse("2026-12-06T10:00:00Z"));
    private readonly FakePodObjects _objects;
    private readonly ServiceAccountTokens _tokens;
    private readonly V1Pod _pod = VolumeTestPods.With();

    public ServiceAccountTokensTests()
    {
        _objects = new FakePodObjects(_clock);
        _tokens = new ServiceAccountTokens(_objects, _clock);
    }

    [Fact]
    public async Task SameProjection_IsServedFromTheCache()
    {
        var projection = new V1ServiceAccountTokenProjection { Path = "token" };

        var first = await _tokens.GetAsync(_pod, projection, CancellationToken.None);
        var second = await _tokens.GetAsync(_pod, projection, CancellationToken.None);

        Assert.Equal(first, second);
        Assert.Single(_objects.TokenRequests);
    }

    [Fact]
    public async Task OtherAudience_IsAnotherToken()
    {
        await _tokens.GetAsync(_pod, new V1ServiceAccountTokenProjection { Path = "a", Audience = "vault" }, CancellationToken.None);
        await _tokens.GetAsync(_pod, new V1ServiceAccountTokenProjection { Path = "b", Audience = "api" }, CancellationToken.None);

        Assert.Equal(2, _objects.TokenRequests.Count);
    }

    [Fact]
    public async Task LongLivedToken_IsRenewedAfterADay()
    {
        var weekLong = new V1ServiceAccountTokenProjection { Path = "token", ExpirationSeconds = 7 * 24 * 3600 };
        await _tokens.GetAsync(_pod, weekLong, CancellationToken.None);

        // The jitter brings a renewal up to 10 s early: 20 s before the day it is not yet due.
        _clock.Advance(TimeSpan.FromHours(24) - TimeSpan.FromSeconds(20));
        var before = await _tokens.GetAsync(_pod, weekLong, CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(21));
        var after = await _tokens.GetAsync(_pod, weekLong, CancellationToken.None);

        Assert.Equal("token-1", before);
        Assert.Equal("token-2", after);
    }

    [Fact]
    public async Task FailedRenewal_KeepsTheUnexpiredToken_ThenFails()
    {
        var projection = new V1ServiceAccountTokenProjection { Path = "token", ExpirationSeconds = 600 };
        await _tokens.GetAsync(_pod, projection, CancellationToken.None);
        _objects.TokenError = new HttpRequestException("connection refused");

        _clock.Advance(TimeSpan.FromSeconds(590));
        var stillValid = await _tokens.GetAsync(_pod, projection, CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(20));

        Assert.Equal("token-1", stillValid);
        await Assert.ThrowsAsync<HttpRequestException>(() => _tokens.GetAsync(_pod, projection, CancellationToken.None));
    }

    [Fact]
    public async Task ForgottenPod_GetsAFreshToken()
    {
        var projection = new V1ServiceAccountTokenProjection { Path = "token" };
        await _tokens.GetAsync(_pod, projection, CancellationToken.None);

        _tokens.Forget(_pod.Metadata.Uid);

        Assert.Equal("token-2", await _tokens.GetAsync(_pod, projection, CancellationToken.None));
    }
}
