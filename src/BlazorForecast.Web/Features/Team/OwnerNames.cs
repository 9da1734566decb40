using BlazorForecast.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace BlazorForecast.Web.Features.Team;

/// <summary>Display names of the owners of a page of runs or sweeps, read in one query.</summary>
public static class OwnerNames
{
    public static async Task<Dictionary<string, string>> OwnerNamesAsync(this ForecastDbContext db, IEnumerable<string?> ownerIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var ids = ownerIds.OfType<string>().Distinct().ToList();
        return ids.Count == 0
            ? []
            : await db.Users.AsNoTracking().Where(u => ids.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, cancellationToken);
    }
}
