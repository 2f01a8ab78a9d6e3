using Timonel.Agent.Kubelet.Node;

namespace Timonel.Agent.Tests.Kubelet.Node;

public sealed class MachineInfoReaderTests
{
    [Fact]
    public void MemTotal_Meminfo_InBytes() =>
        Assert.Equal(16318412L * 1024, MachineInfoReader.MemTotal(["MemTotal:       16318412 kB", "MemFree:         1234 kB"]));

    [Fact]
    public void OsImage_OsRelease_PrettyName() =>
        Assert.Equal("Debian GNU/Linux 12 (bookworm)", MachineInfoReader.OsImage(["NAME=\"Debian GNU/Linux\"", "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\""]));

    [Fact]
    public void DefaultRouteInterface_ProcNetRoute_TheDefaultRoutesInterface() => Assert.Equal("eth0", MachineInfoReader.DefaultRouteInterface(
    [
        "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT",
        "docker0\t000011AC\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0",
        "eth0\t00000000\t0101A8C0\t0003\t0\t0\t100\t00000000\t0\t0\t0",
    ]));

    [Fact]
    public void DefaultRouteInterface_NoDefaultRoute_Null() =>
        Assert.Null(MachineInfoReader.DefaultRouteInterface(["Iface\tDestination\tGateway", "lo\t0000007F\t00000000\t0001\t0\t0\t0\t000000FF"]));

    [Fact]
    public void Read_ThisMachine_HasCpusMemoryAndAnIPv4()
    {
        var machine = MachineInfoReader.Read(Path.GetTempPath());

        Assert.Equal(Environment.ProcessorCount, machine.Cpus);
        Assert.True(machine.MemoryBytes > 0);
        Assert.True(machine.EphemeralStorageBytes > 0);
        Assert.True(System.Net.IPAddress.TryParse(machine.InternalIP, out var ip) && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork);
    }
}
