using Timonel.ApiServer.Endpoints;
using Timonel.ApiServer.Registry;

namespace Timonel.ApiServer.Tests.Endpoints;

public sealed class RequestedDeleteOptionsTests
{
    public static TheoryData<RequestedDeleteOptions, string> Invalid => new()
    {
        { new RequestedDeleteOptions { DryRun = ["Bogus"] }, "dryRun: Unsupported value: []string{\"Bogus\"}: supported values: \"All\"" },
        { new RequestedDeleteOptions { DryRun = ["All", ""] }, "dryRun: Unsupported value: []string{\"All\", \"\"}: supported values: \"All\"" },
        { new RequestedDeleteOptions { PropagationPolicy = "Bogus" }, "propagationPolicy: Unsupported value: \"Bogus\": supported values: \"Foreground\", \"Background\", \"Orphan\", \"nil\"" },
        { new RequestedDeleteOptions { PropagationPolicy = "Orphan", OrphanDependents = true }, "propagationPolicy: Invalid value: \"Orphan\": orphanDependents and deletionPropagation cannot be both set" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Validate_InvalidOptions_OneUpstreamError(RequestedDeleteOptions options, string message)
    {
        var errors = options.Validate();

        Assert.Equal(message, Assert.Single(errors).ToString());
    }

    public static TheoryData<RequestedDeleteOptions, DeleteOptions> Valid => new()
    {
        { new RequestedDeleteOptions(), new DeleteOptions() },
        { new RequestedDeleteOptions { DryRun = ["All"], PropagationPolicy = "Background" }, new DeleteOptions(PropagationPolicy: "Background", DryRun: true) },
        { new RequestedDeleteOptions { DryRun = [] }, new DeleteOptions() },
        { new RequestedDeleteOptions { GracePeriodSeconds = -3 }, new DeleteOptions(GracePeriodSeconds: 1) },
        { new RequestedDeleteOptions { OrphanDependents = false }, new DeleteOptions(PropagationPolicy: "Foreground", OrphanDependents: false) },
        { new RequestedDeleteOptions { OrphanDependents = true }, new DeleteOptions(PropagationPolicy: "Orphan", OrphanDependents: true) },
        { new RequestedDeleteOptions { PreconditionUid = "u", PreconditionResourceVersion = "9" }, new DeleteOptions(PreconditionUid: "u", PreconditionResourceVersion: "9") },
    };

    [Theory]
    [MemberData(nameof(Valid))]
    public void ToStoreOptions_ValidOptions_FoldedAsTheStoreUsesThem(RequestedDeleteOptions options, DeleteOptions expected)
    {
        Assert.Empty(options.Validate());
        Assert.Equal(expected, options.ToStoreOptions());
    }
}
