using Timonel.Storage.Etcd;

namespace Timonel.Storage.Tests.Etcd;

public sealed class EtcdProgressSupportTests
{
    [Theory]
    [InlineData("3.4.23", false)] // Debian 12's etcd-server
    [InlineData("3.4.30", false)]
    [InlineData("3.4.31", true)]
    [InlineData("3.5.12", false)]
    [InlineData("3.5.13", true)]
    [InlineData("3.5.17", true)]
    [InlineData("3.6.0", true)]
    [InlineData("3.3.27", false)]
    [InlineData("3.6.0-rc.1", true)]
    [InlineData("not a version", false)]
    public void IsFixed_EtcdVersions_FollowTheProgressNotifyFix(string version, bool expected) =>
        Assert.Equal(expected, EtcdProgressSupport.IsFixed(version));
}
