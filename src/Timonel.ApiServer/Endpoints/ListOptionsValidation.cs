using Timonel.Api.Validation;

namespace Timonel.ApiServer.Endpoints;

/// <summary>
/// ValidateListOptions as kube-apiserver 1.32 runs it with the WatchList feature on (apimachinery
/// pkg/apis/meta/internalversion/validation/validation.go): which resourceVersionMatch, continue and
/// sendInitialEvents combinations a list and a watch accept.
/// </summary>
public static class ListOptionsValidation
{
    private const string Exact = "Exact";
    private const string NotOlderThan = "NotOlderThan";

    private static readonly FieldPath _matchPath = FieldPath.Root("resourceVersionMatch");

    public static FieldErrorList Validate(bool watch, string resourceVersion, string match, string continueToken, bool? sendInitialEvents) =>
        watch ? ValidateWatch(match, continueToken, sendInitialEvents) : ValidateList(resourceVersion, match, continueToken, sendInitialEvents);

    private static FieldErrorList ValidateList(string resourceVersion, string match, string continueToken, bool? sendInitialEvents)
    {
        var errors = new FieldErrorList();
        if (match.Length > 0)
        {
            if (resourceVersion.Length == 0)
            {
                errors.Add(FieldError.Forbidden(_matchPath, "resourceVersionMatch is forbidden unless resourceVersion is provided"));
            }

            if (continueToken.Length > 0)
            {
                errors.Add(FieldError.Forbidden(_matchPath, "resourceVersionMatch is forbidden when continue is provided"));
            }

            if (match is not (Exact or NotOlderThan))
            {
                errors.Add(FieldError.NotSupported(_matchPath, match, [Exact, NotOlderThan, ""]));
            }

            if (match == Exact && resourceVersion == "0")
            {
                errors.Add(FieldError.Forbidden(_matchPath, "resourceVersionMatch \"exact\" is forbidden for resourceVersion \"0\""));
            }
        }

        if (sendInitialEvents is not null)
        {
            errors.Add(FieldError.Forbidden(FieldPath.Root("sendInitialEvents"), "sendInitialEvents is forbidden for list"));
        }

        return errors;
    }

    private static FieldErrorList ValidateWatch(string match, string continueToken, bool? sendInitialEvents)
    {
        var errors = new FieldErrorList();
        if (sendInitialEvents is not null && match != NotOlderThan)
        {
            errors.Add(FieldError.Forbidden(_matchPath, "sendInitialEvents requires setting resourceVersionMatch to NotOlderThan"));
        }

        if (match.Length > 0)
        {
            if (sendInitialEvents is null)
            {
                errors.Add(FieldError.Forbidden(_matchPath, "resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided"));
            }

            if (match != NotOlderThan)
            {
                errors.Add(FieldError.NotSupported(_matchPath, match, [NotOlderThan]));
            }

            if (continueToken.Length > 0)
            {
                errors.Add(FieldError.Forbidden(_matchPath, "resourceVersionMatch is forbidden when continue is provided"));
            }
        }

        return errors;
    }
}
