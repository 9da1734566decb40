using Microsoft.EntityFrameworkCore;

namespace BlazorForecast.Web.Data;

public sealed class ForecastDbContext(DbContextOptions<ForecastDbContext> options) : DbContext(options)
{
    public DbSet<Dataset> Datasets => Set<Dataset>();

    public DbSet<DatasetColumn> DatasetColumns => Set<DatasetColumn>();

    public DbSet<DatasetTimeline> DatasetTimelines => Set<DatasetTimeline>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Dataset>(dataset =>
        {
            dataset.Property(d => d.Name).HasMaxLength(200);
            dataset.Property(d => d.Description).HasMaxLength(4000);
            dataset.Property(d => d.OriginalFileName).HasMaxLength(260);
            dataset.Property(d => d.Frequency).HasMaxLength(40);
            dataset.Property(d => d.DateColumn).HasMaxLength(200);
            dataset.Property(d => d.DefaultTarget).HasMaxLength(200);
            dataset.HasIndex(d => d.UploadedAt);
            dataset.HasMany(d => d.Columns).WithOne().HasForeignKey(c => c.DatasetId).OnDelete(DeleteBehavior.Cascade);
            dataset.HasOne(d => d.Timeline).WithOne().HasForeignKey<DatasetTimeline>(t => t.DatasetId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<DatasetColumn>(column =>
        {
            column.HasKey(c => new { c.DatasetId, c.Ordinal });
            column.Property(c => c.Name).HasMaxLength(200);
            column.Property(c => c.SourceName).HasMaxLength(200);
            column.Property(c => c.Role).HasConversion<string>().HasMaxLength(20);
        });

        modelBuilder.Entity<DatasetTimeline>(timeline => timeline.HasKey(t => t.DatasetId));
    }
}
