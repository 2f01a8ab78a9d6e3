using Timonel.ApiServer.Endpoints;
using Timonel.HostileTests.Classes;
using Timonel.HostileTests.Targets;

namespace Timonel.HostileTests.Identities;

/// <summary>
/// A class's cases as an identity without rights sends them: every case that addresses a resource (writes, deletes,
/// patches, deletecollection, watches, subresources) is refused before any handler, with the identity's answer.
/// Left out: raw framing cases and those Go's net/http answers itself (their answer does not depend on who asks),
/// and the self reviews every authenticated user may create (upstream's system:basic-user).
/// </summary>
internal sealed class IdentityClass(HostileClass inner, HostileIdentity identity) : HostileClass
{
    private static readonly HashSet<string> _grantedToEveryone = new(StringComparer.Ordinal) { "selfsubjectaccessreviews", "selfsubjectrulesreviews", "selfsubjectreviews" };

    public override string Name => inner.Name;

    public override IEnumerable<HostileCase> Cases(SuiteTarget target, Random random)
    {
        foreach (var testCase in inner.Cases(target, random))
        {
            if (testCase.Raw is not null || testCase.Expected.PlainText)
            {
                continue;
            }

            var path = RequestPath.Parse(testCase.Path.Replace("{ns}", target.Namespace, StringComparison.Ordinal).Split('?')[0]);
            if (path is null || RequestInfo.Parse(path) is not { } info || _grantedToEveryone.Contains(info.Resource))
            {
                continue;
            }

            // A HEAD's answer has no body to hold the Status: only its code is compared.
            var expected = testCase.Method == "HEAD" ? new Expectation(identity.Expected.Code) : identity.Expected;
            yield return testCase with { Expected = expected };
        }
    }
}
