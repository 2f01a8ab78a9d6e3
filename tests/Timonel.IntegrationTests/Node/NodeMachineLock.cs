namespace Timonel.IntegrationTests.Node;

/// <summary>
/// A machine runs one node agent at a time (one kubelet port 10250, one cni0 bridge, one containerd run directory):
/// every test run that starts a real agent holds this lock, so two test runs on one machine (a CI run beside a
/// developer's) take turns instead of tearing down each other's containers.
/// </summary>
public sealed class NodeMachineLock : IDisposable
{
    private const string LockPath = "/run/timonel-e2e.lock";
    private readonly FileStream _held;

    private NodeMachineLock(FileStream held) => _held = held;

    public static async Task<NodeMachineLock> AcquireAsync(TimeSpan patience)
    {
        var deadline = DateTime.UtcNow + patience;
        var told = false;
        while (true)
        {
            try
            {
                // FileShare.None takes an exclusive advisory lock (flock) that other processes see.
                return new NodeMachineLock(new FileStream(LockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                if (!told)
                {
                    Console.Error.WriteLine($"waiting for {LockPath}: another test run has a node agent on this machine");
                    told = true;
                }

                await Task.Delay(TimeSpan.FromSeconds(2));
            }
        }
    }

    public void Dispose() => _held.Dispose();
}
