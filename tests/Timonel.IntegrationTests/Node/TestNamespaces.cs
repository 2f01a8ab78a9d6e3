namespace Timonel.IntegrationTests.Node;

/// <summary>Namespaces of a test's own on a cluster with a real node.</summary>
public static class TestNamespaces
{
    /// <summary>Creates PREFIX&lt;random&gt; and waits for its "default" service account: pods are refused until the service-account controller has made it.</summary>
    public static async Task<string> CreateAsync(Kubectl kubectl, string prefix)
    {
        var ns = prefix + Guid.NewGuid().ToString("N")[..8];
        (await kubectl.RunAsync("create", "namespace", ns)).EnsureSuccess();
        for (var deadline = DateTime.UtcNow.AddSeconds(30); DateTime.UtcNow < deadline; await Task.Delay(200))
        {
            if ((await kubectl.RunAsync("get", "serviceaccount", "default", "-n", ns)).ExitCode == 0)
            {
                break;
            }
        }

        return ns;
    }
}
