"""Energy use and saving potential: heat demand per building and on a grid, the saving by
refurbishment per horizon, electricity use per municipality with heat pumps and e-mobility as add-ons
per horizon, and the balance against the realisable potential (issue 16). Pure calculations: no store,
web or CLI imports."""

from potenzial.demand.add_ons import ADD_ON_COLUMNS, add_on_horizons
from potenzial.demand.balance import DH_SUITABLE, municipality_balance
from potenzial.demand.density import DH_CLASSES, dh_class, heat_density_grid
from potenzial.demand.electricity import electricity_use
from potenzial.demand.heat import after_refurbishment, building_demand, classify, heated_area_m2, specific_demand
from potenzial.demand.params import DemandParams, load_demand_params

__all__ = ["ADD_ON_COLUMNS", "DH_CLASSES", "DH_SUITABLE", "DemandParams", "add_on_horizons", "after_refurbishment",
           "building_demand", "classify", "dh_class", "electricity_use", "heat_density_grid", "heated_area_m2",
           "load_demand_params", "municipality_balance", "specific_demand"]
