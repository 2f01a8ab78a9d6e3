using Timonel.Agent.Kubelet.Cri;

namespace Timonel.Agent.Tests.Kubelet.Cri;

public sealed class CriEndpointTests
{
    [Theory]
    [InlineData("unix:///run/containerd/containerd.sock", "/run/containerd/containerd.sock")]
    [InlineData("/run/k3s/containerd/containerd.sock", "/run/k3s/containerd/containerd.sock")]
    public void Parse_UnixSocket_GivesItsPath(string endpoint, string socket)
    {
        Assert.Equal(socket, CriEndpoint.Parse(endpoint).SocketPath);
    }

    [Theory]
    [InlineData("tcp://127.0.0.1:1234")]
    [InlineData("npipe:////./pipe/containerd")]
    [InlineData("relative/containerd.sock")]
    public void Parse_NotAUnixSocketPath_IsAClearError(string endpoint)
    {
        var error = Assert.Throws<ArgumentException>(() => CriEndpoint.Parse(endpoint));

        Assert.Contains(endpoint, error.Message);
    }

    [Fact]
    public async Task WaitForVersion_NothingListening_TimesOutNamingTheCause()
    {
        using var runtime = new CriRuntime(new CriEndpoint("/nonexistent/timonel-test.sock"));

        var error = await Assert.ThrowsAsync<TimeoutException>(() => CriConnection.WaitForVersionAsync(runtime, TimeSpan.FromMilliseconds(300), CancellationToken.None));

        Assert.Contains("did not answer", error.Message);
    }

    [Fact]
    public async Task Call_NothingListening_IsACriExceptionNamingTheCall()
    {
        using var runtime = new CriRuntime(new CriEndpoint("/nonexistent/timonel-test.sock"));

        var error = await Assert.ThrowsAsync<CriException>(() => runtime.ListContainersAsync(null, CancellationToken.None));

        Assert.StartsWith("CRI ListContainers:", error.Message);
        Assert.Equal(Grpc.Core.StatusCode.Unavailable, error.StatusCode);
    }
}
