using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BlazorForecast.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class RunPredictions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<byte[]>(
                name: "Predictions",
                table: "RunArtifacts",
                type: "BLOB",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Predictions",
                table: "RunArtifacts");
        }
    }
}
