namespace Timonel.Bench.ApiServer;

/// <summary>Cores each process kept busy over a measured interval (2.0 = both cores of this machine).</summary>
internal sealed record CpuUse(double Server, double Etcd, double Bench)
{
    public override string ToString() => $"{Server:F2} / {Etcd:F2} / {Bench:F2}";
}
